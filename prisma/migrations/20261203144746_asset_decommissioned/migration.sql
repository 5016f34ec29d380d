-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "decommissionedAt" TIMESTAMP(3);

