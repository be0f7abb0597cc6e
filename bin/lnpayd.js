#!/usr/bin/env node
// lnpayd runs its TypeScript sources through tsx (there is no build step): register the loader, then load the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
