-- CreateEnum
CREATE TYPE "PartsReviewTrigger" AS ENUM ('SCHEDULED', 'ON_DEMAND');

-- CreateEnum
CREATE TYPE "PartsPlanStatus" AS ENUM ('PROPOSED', 'APPLIED', 'STALE', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "TransferStatus" AS ENUM ('IN_TRANSIT', 'RECEIVED');

-- CreateTable
CREATE TABLE "PartsReview" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "trigger" "PartsReviewTrigger" NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "reviewedAt" TIMESTAMP(3) NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "status" "PartsPlanStatus" NOT NULL DEFAULT 'PROPOSED',
    "basis" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "planMs" INTEGER NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartsReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockTransfer" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "reviewId" TEXT NOT NULL,
    "fromLocationId" TEXT NOT NULL,
    "toLocationId" TEXT NOT NULL,
    "partId" TEXT NOT NULL,
    "qty" INTEGER NOT NULL,
    "refurbished" INTEGER NOT NULL DEFAULT 0,
    "mode" "ShipmentMode" NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL,
    "shipAt" TIMESTAMP(3) NOT NULL,
    "etaAt" TIMESTAMP(3) NOT NULL,
    "status" "TransferStatus" NOT NULL DEFAULT 'IN_TRANSIT',
    "trackingState" "TrackingState" NOT NULL DEFAULT 'AWAITING_PICKUP',
    "trackingAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3),
    "receivedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StockTransfer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PartsReview_number_key" ON "PartsReview"("number");

-- CreateIndex
CREATE INDEX "PartsReview_reviewedAt_idx" ON "PartsReview"("reviewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "StockTransfer_number_key" ON "StockTransfer"("number");

-- CreateIndex
CREATE INDEX "StockTransfer_status_toLocationId_idx" ON "StockTransfer"("status", "toLocationId");

-- CreateIndex
CREATE INDEX "StockTransfer_reviewId_idx" ON "StockTransfer"("reviewId");

-- AddForeignKey
ALTER TABLE "StockTransfer" ADD CONSTRAINT "StockTransfer_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "PartsReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockTransfer" ADD CONSTRAINT "StockTransfer_fromLocationId_fkey" FOREIGN KEY ("fromLocationId") REFERENCES "StockLocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockTransfer" ADD CONSTRAINT "StockTransfer_toLocationId_fkey" FOREIGN KEY ("toLocationId") REFERENCES "StockLocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockTransfer" ADD CONSTRAINT "StockTransfer_partId_fkey" FOREIGN KEY ("partId") REFERENCES "Part"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

