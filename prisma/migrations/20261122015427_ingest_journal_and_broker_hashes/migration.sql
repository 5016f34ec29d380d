-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "brokerHash" TEXT;

-- AlterTable
ALTER TABLE "IngestReject" ADD COLUMN     "rawBytes" INTEGER NOT NULL DEFAULT 0;

