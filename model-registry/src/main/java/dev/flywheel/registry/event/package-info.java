/**
 * Registry events: the outbox written in the same transaction as each change, and the resumable Server-Sent Events
 * stream that the inference service follows to swap versions when an alias moves.
 */
package dev.flywheel.registry.event;
