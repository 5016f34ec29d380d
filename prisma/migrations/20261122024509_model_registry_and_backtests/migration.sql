-- CreateEnum
CREATE TYPE "BacktestStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "basedOn" INTEGER,
ADD COLUMN     "note" TEXT,
ADD COLUMN     "statusChangedAt" TIMESTAMP(3),
ADD COLUMN     "statusChangedBy" TEXT;

-- CreateTable
CREATE TABLE "ModelVersionEvent" (
    "id" BIGSERIAL NOT NULL,
    "versionId" TEXT NOT NULL,
    "from" "ModelStatus",
    "to" "ModelStatus" NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,

    CONSTRAINT "ModelVersionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BacktestRun" (
    "id" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "status" "BacktestStatus" NOT NULL DEFAULT 'RUNNING',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "author" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "summary" JSONB,
    "report" JSONB,
    "error" TEXT,

    CONSTRAINT "BacktestRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EquipmentHistory" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "equipmentModelId" TEXT NOT NULL,
    "cycleMinutes" INTEGER NOT NULL DEFAULT 60,
    "units" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL,
    "importedBy" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EquipmentHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HistoryRun" (
    "id" TEXT NOT NULL,
    "historyId" TEXT NOT NULL,
    "unit" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL,
    "failed" BOOLEAN NOT NULL DEFAULT true,
    "rulAtEnd" INTEGER,
    "data" JSONB NOT NULL,

    CONSTRAINT "HistoryRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelVersionEvent_versionId_at_idx" ON "ModelVersionEvent"("versionId", "at");

-- CreateIndex
CREATE INDEX "BacktestRun_modelVersionId_startedAt_idx" ON "BacktestRun"("modelVersionId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HistoryRun_historyId_unit_key" ON "HistoryRun"("historyId", "unit");

-- AddForeignKey
ALTER TABLE "ModelVersionEvent" ADD CONSTRAINT "ModelVersionEvent_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BacktestRun" ADD CONSTRAINT "BacktestRun_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EquipmentHistory" ADD CONSTRAINT "EquipmentHistory_equipmentModelId_fkey" FOREIGN KEY ("equipmentModelId") REFERENCES "EquipmentModel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HistoryRun" ADD CONSTRAINT "HistoryRun_historyId_fkey" FOREIGN KEY ("historyId") REFERENCES "EquipmentHistory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

