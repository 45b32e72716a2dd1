/**
 * The worker: claims queued jobs and runs their actions under a fence ({@link io.snowpack.core.worker.Worker}).
 */
package io.snowpack.core.worker;
