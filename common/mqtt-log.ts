// MQTT.js logs through the `debug` package (namespace `mqttjs:*`), several calls per message received. Off, each
// call still costs (an array of its arguments, the `enabled` check): ~4 % of the platform's busy time at full
// ingest speed. Clients on the hot path pass `mqttLog` among their options; `DEBUG=mqttjs*` still turns it on.

/** `{ log: noop }` unless `DEBUG` names mqttjs (or `*`): then nothing, and MQTT.js keeps its own logger. */
export const mqttLog: { log?: () => void } = /mqttjs|\*/.test(process.env.DEBUG ?? '')
  ? {}
  : { log: () => {} };
