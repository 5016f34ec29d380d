// Refuses oversized MQTT packets before they are read: MQTT.js's parser (inside aedes) buffers a whole packet
// before it looks at it, so an unauthenticated CONNECT declaring 200 MB would be held in memory whole. The guard
// follows the packet boundaries in the byte stream (each fixed header's remaining length) and reports the first
// packet declaring more than the limit, as soon as its length bytes arrive.

export class PacketSizeGuard {
  private state: 'header' | 'length' | 'body' = 'header';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;
  /** The declared remaining length of the refused packet (a lower bound when it was cut off early). */
  refusedLength = 0;

  constructor(readonly maxRemainingLength: number) {}

  /** Follows the next bytes of the stream; false once a packet declares too much (or a malformed length). */
  feed(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const n = Math.min(this.remaining, chunk.length - i);
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'header';
        continue;
      }
      const b = chunk[i++]!;
      if (this.state === 'header') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (b & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (this.length > this.maxRemainingLength || (b & 0x80 && this.lengthBytes === 4)) {
        this.refusedLength = this.length;
        return false;
      }
      if (b & 0x80) continue;
      this.remaining = this.length;
      this.state = this.remaining > 0 ? 'body' : 'header';
    }
    return true;
  }
}
