-- CreateIndex
CREATE INDEX "CarrierEvent_shipmentId_idx" ON "CarrierEvent"("shipmentId");

