import type { Agent, Skill } from '#agents/domain/agent';
import type { Role } from '#platform/domain/actor';

/**
 * The seed scenario's staff: 30 agents (15 speak Polish, 10 Polish and English, 5 German),
 * 2 supervisors and 1 admin. Deterministic, so every fresh start and every test sees the same people.
 */

interface StaffSeed {
  username: string;
  name: string;
  roles: Role[];
  skills: Skill[];
  queues: string[];
}

const POLISH = [
  'Anna Nowak',
  'Piotr Kowalski',
  'Katarzyna Wiśniewska',
  'Tomasz Wójcik',
  'Magdalena Kamińska',
  'Michał Lewandowski',
  'Agnieszka Zielińska',
  'Krzysztof Szymański',
  'Joanna Woźniak',
  'Paweł Dąbrowski',
  'Ewa Kozłowska',
  'Marcin Jankowski',
  'Monika Mazur',
  'Łukasz Kwiatkowski',
  'Aleksandra Krawczyk',
];
const POLISH_ENGLISH = [
  'Marta Piotrowska',
  'Jakub Grabowski',
  'Natalia Nowakowska',
  'Kamil Pawłowski',
  'Zofia Michalska',
  'Bartosz Nowicki',
  'Karolina Adamczyk',
  'Mateusz Dudek',
  'Weronika Zając',
  'Grzegorz Wieczorek',
];
const GERMAN = ['Lena Schmidt', 'Jonas Müller', 'Sophie Weber', 'Felix Wagner', 'Hannah Becker'];

/** Topic skills, cycled so that every topic has experts and beginners in every language group. */
const TOPICS = ['orders', 'returns', 'marketplace', 'sales', 'difficult-customers'] as const;

/** ASCII username from a name: `Łukasz Kwiatkowski` → `lukasz.kwiatkowski`. */
function usernameOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');
}

/** Levels 1–10 spread deterministically: a primary topic at 6–9, a secondary one at 2–5. */
function topicSkills(index: number): Skill[] {
  const primary = TOPICS[index % TOPICS.length] as string;
  const secondary = TOPICS[(index + 2) % TOPICS.length] as string;
  return [
    { skill: primary, level: 6 + (index % 4) },
    { skill: secondary, level: 2 + (index % 4) },
  ];
}

function agentSeeds(): StaffSeed[] {
  const polish = POLISH.map((name, i) => ({
    name,
    skills: [{ skill: 'pl', level: 10 }, ...topicSkills(i)],
    queues: ['customers', 'stores'],
  }));
  const polishEnglish = POLISH_ENGLISH.map((name, i) => ({
    name,
    skills: [{ skill: 'pl', level: 10 }, { skill: 'en', level: 5 + (i % 5) }, ...topicSkills(i + 15)],
    queues: ['customers', 'marketplace', 'other'],
  }));
  const german = GERMAN.map((name, i) => ({
    name,
    // German only, as the seed says: English work must not reach them.
    skills: [{ skill: 'de', level: 10 }, ...topicSkills(i + 25)],
    queues: ['customers', 'marketplace'],
  }));
  return [...polish, ...polishEnglish, ...german].map((seed) => ({
    username: usernameOf(seed.name),
    roles: ['agents'] as Role[],
    ...seed,
  }));
}

const SUPERVISORS: StaffSeed[] = [
  {
    username: 'supervisor-1',
    name: 'Barbara Sikora',
    roles: ['supervisors'],
    skills: [
      { skill: 'pl', level: 10 },
      { skill: 'en', level: 8 },
      { skill: 'difficult-customers', level: 9 },
      { skill: 'returns', level: 8 },
    ],
    queues: ['customers', 'stores', 'marketplace', 'other', 'escalations'],
  },
  {
    username: 'supervisor-2',
    name: 'Markus Hoffmann',
    roles: ['supervisors'],
    skills: [
      { skill: 'de', level: 10 },
      { skill: 'en', level: 9 },
      { skill: 'pl', level: 4 },
      { skill: 'marketplace', level: 9 },
    ],
    queues: ['customers', 'marketplace', 'other', 'escalations'],
  },
];

const ADMIN: StaffSeed = { username: 'admin', name: 'Switchboard Admin', roles: ['admins'], skills: [], queues: [] };

/** Every seeded member of staff, as agent records. */
export function demoStaff(now: string): Agent[] {
  return [...agentSeeds(), ...SUPERVISORS, ADMIN].map((seed) => ({
    id: seed.username,
    username: seed.username,
    name: seed.name,
    email: `${seed.username}@switchboard.local`,
    connectUsername: seed.roles.includes('agents') ? seed.username : null,
    roles: seed.roles,
    skills: seed.skills,
    queues: seed.queues,
    capacity: 100,
    presence: 'offline',
    createdAt: now,
    updatedAt: now,
  }));
}
