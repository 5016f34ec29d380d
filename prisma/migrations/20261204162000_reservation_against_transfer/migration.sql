-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN     "transferId" TEXT;

-- CreateIndex
CREATE INDEX "Reservation_transferId_idx" ON "Reservation"("transferId");

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_transferId_fkey" FOREIGN KEY ("transferId") REFERENCES "StockTransfer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

