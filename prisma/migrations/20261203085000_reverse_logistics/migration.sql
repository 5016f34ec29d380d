-- CreateEnum
CREATE TYPE "TrackingState" AS ENUM ('AWAITING_PICKUP', 'PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'EXCEPTION');

-- CreateEnum
CREATE TYPE "Disposition" AS ENUM ('RESTOCK', 'REFURBISH', 'RETURN_TO_VENDOR', 'RECYCLE', 'SCRAP');

-- AlterTable
ALTER TABLE "Part" ADD COLUMN     "co2eKgPerUnit" DOUBLE PRECISION,
ADD COLUMN     "refurbYield" DOUBLE PRECISION,
ADD COLUMN     "repairCost" DOUBLE PRECISION,
ADD COLUMN     "warrantyMonths" INTEGER;

-- AlterTable
ALTER TABLE "StockLevel" ADD COLUMN     "refurbished" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "trackingAt" TIMESTAMP(3),
ADD COLUMN     "trackingState" "TrackingState" NOT NULL DEFAULT 'AWAITING_PICKUP';

-- CreateTable
CREATE TABLE "CarrierEvent" (
    "id" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "kind" "TrackingState" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "detail" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CarrierEvent_pkey" PRIMARY KEY ("id")
);

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
CREATE UNIQUE INDEX "CarrierEvent_carrier_eventId_key" ON "CarrierEvent"("carrier", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnDisposition_returnId_key" ON "ReturnDisposition"("returnId");

-- CreateIndex
CREATE INDEX "ReturnDisposition_tenantId_decidedAt_idx" ON "ReturnDisposition"("tenantId", "decidedAt");

-- AddForeignKey
ALTER TABLE "CarrierEvent" ADD CONSTRAINT "CarrierEvent_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "Shipment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnDisposition" ADD CONSTRAINT "ReturnDisposition_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnAuthorization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnDisposition" ADD CONSTRAINT "ReturnDisposition_toLocationId_fkey" FOREIGN KEY ("toLocationId") REFERENCES "StockLocation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

