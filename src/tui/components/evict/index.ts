export { Evict, type EvictProps } from './evict.js';
export { useEvictState, evictReducer, INITIAL_EVICT_STATE, type EvictHandle, type EvictState, type EvictAction } from './use-evict-state.js';
export { evictInput, evictEditing } from './evict-input.js';
