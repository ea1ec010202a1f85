export { Table, type Column, type TableProps } from './table.js';
export { useTableState, tableReducer, clampTable, tableKey, INITIAL_TABLE_STATE, type TableState, type TableAction, type TableShape, type TableHandle } from './use-table-state.js';
