-- CreateEnum
CREATE TYPE "Disposition" AS ENUM ('RESTOCK', 'REFURBISH', 'RETURN_TO_VENDOR', 'RECYCLE', 'SCRAP');

-- AlterTable
ALTER TABLE "Part" ADD COLUMN     "co2eKgPerUnit" DOUBLE PRECISION,
ADD COLUMN     "refurbYield" DOUBLE PRECISION,
ADD COLUMN     "repairCost" DOUBLE PRECISION,
ADD COLUMN     "warrantyMonths" INTEGER;

-- AlterTable
ALTER TABLE "StockLevel" ADD COLUMN     "refurbished" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ReturnDisposition" (
    "id" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "qty" INTEGER NOT NULL,
    "disposition" "Disposition" NOT NULL,
    "proposed" "Disposition" NOT NULL,
    "proposalReason" TEXT NOT NULL,
    "overrideReason" TEXT,
    "repairCost" DOUBLE PRECISION,
    "turnaroundDays" INTEGER,
    "toLocationId" TEXT,
    "co2eAvoidedKg" DOUBLE PRECISION NOT NULL,
    "decidedBy" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restockedAt" TIMESTAMP(3),

    CONSTRAINT "ReturnDisposition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReturnDisposition_returnId_key" ON "ReturnDisposition"("returnId");

-- CreateIndex
CREATE INDEX "ReturnDisposition_tenantId_decidedAt_idx" ON "ReturnDisposition"("tenantId", "decidedAt");

-- AddForeignKey
ALTER TABLE "ReturnDisposition" ADD CONSTRAINT "ReturnDisposition_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnAuthorization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnDisposition" ADD CONSTRAINT "ReturnDisposition_toLocationId_fkey" FOREIGN KEY ("toLocationId") REFERENCES "StockLocation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

