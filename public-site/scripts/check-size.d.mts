export const BUDGET_BYTES: number;
export function measure(dist: string): {
  page: string;
  files: { file: string; raw: number; gzip: number }[];
  total: number;
}[];
