import { describe, expect, it } from 'vitest';
import { demoStaff } from '#local/demo-data';

const NOW = '2026-11-23T00:00:00.000Z';
/** Languages are the two-letter skills; the rest are topics. */
const languagesOf = (skills: { skill: string }[]) =>
  skills
    .map((skill) => skill.skill)
    .filter((skill) => /^[a-z]{2}$/.test(skill))
    .sort()
    .join('+');

describe('the seed scenario’s staff', () => {
  it('has 30 agents: 15 Polish, 10 Polish and English, 5 German only', () => {
    // Arrange
    const agents = demoStaff(NOW).filter((member) => member.roles.includes('agents'));

    // Act
    const byLanguages: Record<string, number> = {};
    for (const agent of agents) byLanguages[languagesOf(agent.skills)] = (byLanguages[languagesOf(agent.skills)] ?? 0) + 1;

    // Assert
    expect(agents).toHaveLength(30);
    expect(byLanguages).toEqual({ pl: 15, 'en+pl': 10, de: 5 });
  });

  it('gives the German agents no English, so English work never reaches them', () => {
    const german = demoStaff(NOW).filter((member) => member.roles.includes('agents') && languagesOf(member.skills) === 'de');

    expect(german.map((agent) => agent.username)).toEqual([
      'lena.schmidt',
      'jonas.muller',
      'sophie.weber',
      'felix.wagner',
      'hannah.becker',
    ]);
    expect(german.flatMap((agent) => agent.skills.filter((skill) => skill.skill === 'en'))).toEqual([]);
  });

  it('has 2 supervisors and 1 admin besides the agents, and nobody else', () => {
    const staff = demoStaff(NOW);

    expect(staff).toHaveLength(33);
    expect(staff.filter((member) => member.roles.includes('supervisors')).map((member) => member.username)).toEqual([
      'supervisor-1',
      'supervisor-2',
    ]);
    expect(staff.filter((member) => member.roles.includes('admins')).map((member) => member.username)).toEqual(['admin']);
    expect(staff.filter((member) => member.roles.length !== 1)).toEqual([]);
  });
});
