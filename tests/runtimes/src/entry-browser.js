// Entry point for the browser bundle: the page exposes runPortableSuite(fixture).
import { runSuite } from './suite.js';
import { loadExtraCases } from './extra-cases.js';

globalThis.runPortableSuite = async (fixture) => runSuite(fixture, { extraCases: await loadExtraCases(fixture) });
