-- CreateTable
CREATE TABLE "AssetEvent" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL,
    "assetId" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssetEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetHistory" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "importedBy" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "counts" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "FleetHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetHistoryPoint" (
    "id" BIGSERIAL NOT NULL,
    "historyId" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "FleetHistoryPoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetHistoryRecord" (
    "id" BIGSERIAL NOT NULL,
    "historyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "FleetHistoryRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetHistoryAsset" (
    "historyId" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "attributes" JSONB NOT NULL,

    CONSTRAINT "FleetHistoryAsset_pkey" PRIMARY KEY ("historyId","asset")
);

-- CreateIndex
CREATE INDEX "AssetEvent_tenantId_ts_idx" ON "AssetEvent"("tenantId", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "AssetEvent_assetId_ts_code_key" ON "AssetEvent"("assetId", "ts", "code");

-- CreateIndex
CREATE UNIQUE INDEX "FleetHistory_tenantId_name_key" ON "FleetHistory"("tenantId", "name");

-- CreateIndex
CREATE INDEX "FleetHistoryPoint_historyId_asset_ts_idx" ON "FleetHistoryPoint"("historyId", "asset", "ts");

-- CreateIndex
CREATE INDEX "FleetHistoryRecord_historyId_kind_asset_ts_idx" ON "FleetHistoryRecord"("historyId", "kind", "asset", "ts");

-- AddForeignKey
ALTER TABLE "FleetHistoryPoint" ADD CONSTRAINT "FleetHistoryPoint_historyId_fkey" FOREIGN KEY ("historyId") REFERENCES "FleetHistory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FleetHistoryRecord" ADD CONSTRAINT "FleetHistoryRecord_historyId_fkey" FOREIGN KEY ("historyId") REFERENCES "FleetHistory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FleetHistoryAsset" ADD CONSTRAINT "FleetHistoryAsset_historyId_fkey" FOREIGN KEY ("historyId") REFERENCES "FleetHistory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

