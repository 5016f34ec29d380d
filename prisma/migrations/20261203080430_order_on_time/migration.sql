-- AlterTable
ALTER TABLE "ServiceOrder" ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "lateByMinutes" INTEGER,
ADD COLUMN     "onTime" BOOLEAN,
ADD COLUMN     "verdictReason" TEXT;
