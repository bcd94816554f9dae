/** torch.utils: `tensorboard`. */
export * as tensorboard from './tensorboard';
