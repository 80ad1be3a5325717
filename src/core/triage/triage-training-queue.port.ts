/** Runs TrainTriageModel in the background (a worker), so training never blocks the API. */
export abstract class TriageTrainingQueue {
  /** Queues one training run; a request while another is still waiting returns that one. */
  abstract request(): Promise<{ jobId: string }>;
}
