-- CreateEnum
CREATE TYPE "NotifyChannel" AS ENUM ('EMAIL', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "NotifyDeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "NotifySubscription" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "channel" "NotifyChannel" NOT NULL,
    "target" TEXT NOT NULL,
    "secret" TEXT,
    "events" TEXT[],
    "tenantId" TEXT,
    "assetId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotifySubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotifyDelivery" (
    "id" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "NotifyDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotifyDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotifySubscription_userId_idx" ON "NotifySubscription"("userId");

-- CreateIndex
CREATE INDEX "NotifySubscription_tenantId_idx" ON "NotifySubscription"("tenantId");

-- CreateIndex
CREATE INDEX "NotifyDelivery_status_nextAttemptAt_idx" ON "NotifyDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotifyDelivery_subscriptionId_eventKey_key" ON "NotifyDelivery"("subscriptionId", "eventKey");

-- AddForeignKey
ALTER TABLE "NotifySubscription" ADD CONSTRAINT "NotifySubscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotifyDelivery" ADD CONSTRAINT "NotifyDelivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "NotifySubscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

