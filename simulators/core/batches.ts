// Splits readings into telemetry messages within the contract's limits (readings per message and bytes).
import { LIMITS, type TelemetryReading } from '../../common/contracts/mqtt.ts';

const WRAPPER_BYTES = '{"readings":[]}'.length;

/** Consecutive groups of readings, each one message of at most `maxBytes` and `maxReadings` readings. */
export function batchReadings(
  readings: readonly TelemetryReading[],
  maxBytes: number = LIMITS.maxPayloadBytes,
  maxReadings: number = LIMITS.maxReadingsPerMessage,
): TelemetryReading[][] {
  const out: TelemetryReading[][] = [];
  let batch: TelemetryReading[] = [];
  let bytes = WRAPPER_BYTES;
  for (const r of readings) {
    const size = Buffer.byteLength(JSON.stringify(r)) + 1; // and a comma
    if (WRAPPER_BYTES + size > maxBytes)
      throw new Error(`a single reading of ${size} bytes does not fit in a message of ${maxBytes} bytes`);
    if (batch.length > 0 && (bytes + size > maxBytes || batch.length >= maxReadings)) {
      out.push(batch);
      batch = [];
      bytes = WRAPPER_BYTES;
    }
    batch.push(r);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
