import type { Bus, BusRecord } from './port.js';

/**
 * A bus whose producers call `beforeSend` before every send; a throw there fails the send as a
 * broken connection would. For tests of how services handle a bus that refuses a batch.
 */
export function interceptSends(inner: Bus, beforeSend: (topic: string, records: readonly BusRecord[]) => void): Bus {
  return {
    ensureTopics: (specs) => inner.ensureTopics(specs),
    partitionsOf: (topic) => inner.partitionsOf(topic),
    consumer: (opts) => inner.consumer(opts),
    transactionalConsumer: (opts) => inner.transactionalConsumer(opts),
    tableReader: (topic) => inner.tableReader(topic),
    close: () => inner.close(),
    producer: () => {
      const p = inner.producer();
      return {
        send: async (topic, records) => {
          beforeSend(topic, records);
          await p.send(topic, records);
        },
        close: () => p.close(),
      };
    },
  };
}
