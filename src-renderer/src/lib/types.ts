/** The admin API's answers as the console reads them: the one definition is the contract module. */
export * from '../../../src-main/core/admin/contract';
