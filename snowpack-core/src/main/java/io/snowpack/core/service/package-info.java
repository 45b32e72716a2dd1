/**
 * The maintenance service: submit, inspect and cancel jobs ({@link io.snowpack.core.service.MaintenanceService}).
 */
package io.snowpack.core.service;
