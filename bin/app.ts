import { buildApp } from '../lib/switchboard-app.js';

buildApp().app.synth();
