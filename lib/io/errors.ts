/** The error a safetensors reader throws for a malformed or unsupported file. */

/**
 * Thrown when bytes are not a valid safetensors file (or hold a dtype torchlet
 * cannot represent). The message names the problem, e.g.
 * `safetensors: tensor "0.weight": data_offsets [0, 12] span 12 bytes but shape [2, 2] of F32 needs 16`.
 */
export class SafetensorsError extends Error {
  /**
   * @param message what is wrong with the file
   */
  constructor(message: string) {
    super(`safetensors: ${message}`);
    this.name = 'SafetensorsError';
  }
}
