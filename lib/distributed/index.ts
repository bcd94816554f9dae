/**
 * torch.distributed over MPI: a default process group, collectives on it,
 * and what DistributedDataParallel builds on.
 *
 *   // mpirun -np 2 node train.js
 *   torch.distributed.initProcessGroup({ backend: 'mpi' });
 *   await torch.distributed.allReduce(t, { op: 'sum' });
 *   torch.distributed.destroyProcessGroup();
 */
export {
  initProcessGroup, isInitialized, getRank, getWorldSize, getBackend, destroyProcessGroup,
  type InitProcessGroupOptions,
} from './process-group';
export {
  ReduceOp, type ReduceOpName, type ReduceOptions,
  allReduce, allReduceSync, broadcast, broadcastSync, allGather, allGatherSync,
  allGatherIntoTensor, allGatherIntoTensorSync, reduceScatter, reduceScatterSync,
  reduceScatterTensor, reduceScatterTensorSync, barrier, barrierSync,
} from './collectives';
