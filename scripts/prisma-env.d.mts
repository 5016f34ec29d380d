/** Environment for the Prisma CLI without engine downloads (prisma-env.mjs). */
export declare const prismaEnv: NodeJS.ProcessEnv;
