/**
 * Training, vertical per model family and horizontal for shared services: {@code text} (intent and sentiment text
 * classifiers: trainers, the epoch loop, fine-tuning, the Spark training and evaluation runs) and {@code routing}
 * (per-tenant routing models), both on the shared {@code data}, {@code eval}, {@code baseline}, {@code profile} and
 * {@code registry}, which import neither family.
 */
package io.cxml.training;
