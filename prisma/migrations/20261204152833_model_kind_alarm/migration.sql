-- AlterEnum
ALTER TYPE "ModelKind" ADD VALUE 'ALARM';

