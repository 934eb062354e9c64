import { describeBusConformance } from './conformance.js';
import { freshName, intBus } from './kafka-int-fixture.js';

describeBusConformance('KafkaBus', () => ({ bus: intBus(), topic: freshName, group: freshName }), { waitMs: 30_000 });
