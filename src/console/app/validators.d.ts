/** The catalogue's validators, compiled at build time (vite.config.ts, catalogueValidators). */
declare module 'virtual:parley-validators' {
  export interface ValidationError {
    instancePath: string;
    keyword: string;
    message?: string;
    params: Record<string, unknown>;
  }
  export interface Validate {
    (body: unknown): boolean;
    errors?: ValidationError[] | null;
  }
  export const validators: Record<string, Validate>;
}
