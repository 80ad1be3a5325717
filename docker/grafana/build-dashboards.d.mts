// Types of build-dashboards.mjs for the TypeScript tests that import it.
export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  targets: { refId: string; expr?: string; rawSql?: string; format?: string }[];
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}
export declare const OPEN_STATUSES: string[];
export declare function buildDashboards(): Record<string, Dashboard>;
export declare function prometheusExpressions(): string[];
export declare function sqlQueries(): string[];
export declare function render(dashboard: Dashboard): string;
