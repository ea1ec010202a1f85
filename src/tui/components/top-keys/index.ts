export { TopKeys, visibleKeyRows, keyColumns, type KeyRow, type TopKeysProps } from './top-keys.js';
export { useTopKeysState, topKeysReducer, orderOf, INITIAL_TOP_KEYS_STATE, type TopKeysState, type TopKeysAction, type TopKeysHandle } from './use-top-keys-state.js';
export { topKeysInput } from './top-keys-input.js';
