export type { DetectorLocation, Network, Position, Ramp, Segment } from './types.js';
export { NetworkInvalidError, collectionName, parseNetwork } from './parse.js';
export { ENDPOINT_TOLERANCE_M, deriveTopology, orderedChains, type Topology, type TopologyInput } from './topology.js';
export { DEFAULT_NETWORK_PATH, loadNetwork } from './load.js';
