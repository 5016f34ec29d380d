-- DropForeignKey
ALTER TABLE "CarrierEvent" DROP CONSTRAINT "CarrierEvent_shipmentId_fkey";

-- DropForeignKey
ALTER TABLE "StockTransfer" DROP CONSTRAINT "StockTransfer_reviewId_fkey";

-- AlterTable
ALTER TABLE "ReturnAuthorization" ADD COLUMN     "carrier" TEXT,
ADD COLUMN     "routeReason" TEXT,
ADD COLUMN     "trackingAt" TIMESTAMP(3),
ADD COLUMN     "trackingState" "TrackingState" NOT NULL DEFAULT 'AWAITING_PICKUP';

-- AlterTable
ALTER TABLE "CarrierEvent" ADD COLUMN     "returnId" TEXT,
ADD COLUMN     "transferId" TEXT,
ALTER COLUMN "shipmentId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "StockTransfer" ADD COLUMN     "carrier" TEXT,
ADD COLUMN     "problemAt" TIMESTAMP(3),
ADD COLUMN     "returnId" TEXT,
ADD COLUMN     "routeReason" TEXT,
ALTER COLUMN "reviewId" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "StockTransfer_returnId_key" ON "StockTransfer"("returnId");

-- AddForeignKey
ALTER TABLE "CarrierEvent" ADD CONSTRAINT "CarrierEvent_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "Shipment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CarrierEvent" ADD CONSTRAINT "CarrierEvent_transferId_fkey" FOREIGN KEY ("transferId") REFERENCES "StockTransfer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CarrierEvent" ADD CONSTRAINT "CarrierEvent_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnAuthorization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockTransfer" ADD CONSTRAINT "StockTransfer_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "PartsReview"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockTransfer" ADD CONSTRAINT "StockTransfer_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "ReturnAuthorization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

