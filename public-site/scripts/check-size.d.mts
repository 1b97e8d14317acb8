export const BUDGET_BYTES: number;
export function measure(dist: string): {
  rows: { file: string; raw: number; gzip: number }[];
  total: number;
};
