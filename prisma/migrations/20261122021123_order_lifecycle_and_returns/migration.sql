-- AlterTable
ALTER TABLE "Prediction" ADD COLUMN     "outcomeAt" TIMESTAMP(3),
ADD COLUMN     "outcomeNote" TEXT;

-- AlterTable
ALTER TABLE "ServiceOrder" ADD COLUMN     "acceptedAt" TIMESTAMP(3),
ADD COLUMN     "acceptedBy" TEXT;

-- AlterTable
ALTER TABLE "OrderEvent" ADD COLUMN     "action" TEXT NOT NULL DEFAULT 'status';

-- AlterTable
ALTER TABLE "ReturnAuthorization" ADD COLUMN     "createdBy" TEXT NOT NULL DEFAULT 'system',
ADD COLUMN     "findingAt" TIMESTAMP(3),
ADD COLUMN     "findingBy" TEXT,
ADD COLUMN     "findingNote" TEXT,
ADD COLUMN     "qty" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "receivedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "ReturnAuthorization_orderId_reason_key" ON "ReturnAuthorization"("orderId", "reason");

