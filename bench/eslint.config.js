// @ts-check
// The root config, with type-aware parsing off for the benchmark scripts
// (.mjs/.js): the root's `disableTypeChecked` block for JS files sets its own
// languageOptions, which replaces the parserOptions that would turn the
// project service off, so nested .mjs files would otherwise need a TS project.
import root from '../eslint.config.js';

export default [
  ...root,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { parserOptions: { projectService: false, project: false, program: null } },
  },
];
