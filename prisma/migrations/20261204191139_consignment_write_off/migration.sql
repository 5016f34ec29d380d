-- AlterEnum
ALTER TYPE "TransferStatus" ADD VALUE 'WRITTEN_OFF';

-- AlterTable
ALTER TABLE "ReturnAuthorization" ADD COLUMN     "writeOffReason" TEXT,
ADD COLUMN     "writtenOffAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "StockTransfer" ADD COLUMN     "resendOf" TEXT,
ADD COLUMN     "writeOffReason" TEXT,
ADD COLUMN     "writtenOffAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "StockTransfer_resendOf_key" ON "StockTransfer"("resendOf");

