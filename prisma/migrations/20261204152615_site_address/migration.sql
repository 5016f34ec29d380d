-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "address" TEXT;

