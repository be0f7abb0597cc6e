#!/usr/bin/env node
// The CLI runs from the build in dist/ (`npm run build`; npm ci, npm start and npm test make it).
await import('../dist/cli/main.js');
