// Generates the Prisma client (run by postinstall) without letting Prisma download engines.
import { execFileSync } from 'node:child_process';
import { prismaEnv } from './prisma-env.mjs';

execFileSync('npx', ['--no-install', 'prisma', 'generate'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: prismaEnv,
});
