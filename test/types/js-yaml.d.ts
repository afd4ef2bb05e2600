/**
 * The one function of js-yaml (4.x, in node_modules through the toolchain) that the deployment
 * test uses; it has no type declarations of its own installed.
 */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
