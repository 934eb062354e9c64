import { describeBusConformance } from './conformance.js';
import { InProcessBus } from './in-process.js';

let n = 0;
// A small maxBatch so records are spread over several batches, as they are on Kafka.
describeBusConformance('InProcessBus', () => ({
  bus: new InProcessBus({ maxBatch: 4 }),
  topic: (label) => `${label}-${++n}`,
  group: (label) => `${label}-group-${++n}`,
}));
