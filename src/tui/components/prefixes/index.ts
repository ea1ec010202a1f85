export { Prefixes, rowLabel, type PrefixesProps } from './prefixes.js';
export {
  usePrefixesState,
  prefixesReducer,
  levelRows,
  nodeAt,
  PREFIX_SORTS,
  INITIAL_PREFIXES_STATE,
  type PrefixesState,
  type PrefixesAction,
  type PrefixesHandle,
  type PrefixRow,
  type PrefixSort,
} from './use-prefixes-state.js';
export { prefixesInput } from './prefixes-input.js';
