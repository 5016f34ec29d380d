-- CreateEnum
CREATE TYPE "RtvClaimStatus" AS ENUM ('OPEN', 'CREDITED', 'REJECTED');

-- AlterTable
ALTER TABLE "ServiceContract" ADD COLUMN     "coversLabour" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "coversParts" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "coversShipping" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "coversTravel" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "endsAt" TIMESTAMP(3),
ADD COLUMN     "excludedSkus" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "startsAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "warrantyEndsAt" TIMESTAMP(3),
ADD COLUMN     "warrantyLabour" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Part" ADD COLUMN     "supplier" TEXT;

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "problemAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RtvClaim" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "dispositionId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "supplier" TEXT NOT NULL,
    "qty" INTEGER NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "status" "RtvClaimStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),
    "settledBy" TEXT,
    "creditAmount" DOUBLE PRECISION,
    "note" TEXT,

    CONSTRAINT "RtvClaim_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RtvClaim_number_key" ON "RtvClaim"("number");

-- CreateIndex
CREATE UNIQUE INDEX "RtvClaim_dispositionId_key" ON "RtvClaim"("dispositionId");

-- CreateIndex
CREATE INDEX "RtvClaim_status_createdAt_idx" ON "RtvClaim"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "RtvClaim" ADD CONSTRAINT "RtvClaim_dispositionId_fkey" FOREIGN KEY ("dispositionId") REFERENCES "ReturnDisposition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

