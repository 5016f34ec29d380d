-- CreateEnum
CREATE TYPE "CancelReason" AS ENUM ('FALSE_ALARM', 'CUSTOMER_DECLINED', 'DUPLICATE', 'ALREADY_FIXED', 'RISK_CLEARED', 'OTHER');

-- AlterTable
ALTER TABLE "ServiceOrder" ADD COLUMN     "cancelReason" "CancelReason",
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "riskClearedAt" TIMESTAMP(3),
ADD COLUMN     "snoozeUntil" TIMESTAMP(3);

-- Orders closed before this migration: their last change is when they closed (predict's "fresh since").
UPDATE "ServiceOrder" SET "closedAt" = "updatedAt" WHERE status IN ('COMPLETED', 'CANCELLED');
