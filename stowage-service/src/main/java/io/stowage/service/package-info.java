/**
 * The storage service: files of an owner over the storage manager, with a catalog (DESIGN §4). Its entry point is
 * {@link io.stowage.service.StorageService}.
 *
 * <p>What a caller of the service may rely on:
 * <ul>
 *   <li>Backend keys are generated, {@code <owner>/<yyyy>/<mm>/<file id>/<version id>}; a file's name never
 *       steers a write. Each version is its own object, never overwritten.
 *   <li>Every operation checks the owner: another owner's file, a purged file, a trashed file (except for
 *       {@link StorageService#undelete} and {@link StorageService#purge}) and an id that is not an id all fail alike, with
 *       {@code NOT_FOUND}. A malformed owner id is {@code INVALID_ARGUMENT}.
 *   <li>A save writes a pending row (a new file's save in flight, or a pending version of an existing file), stores
 *       the object, then commits the row. A save that fails
 *       (content stream, backend, limit) leaves neither row nor object; a crash between the steps leaves
 *       a pending row that {@link StorageService#sweepPending} finds, never an object without a row. Pending files are
 *       invisible.
 *   <li>Limits and quotas ({@link StorageService#setQuota}, else {@code STOWAGE_MAX_UPLOAD_SIZE},
 *       {@code STOWAGE_DEFAULT_QUOTA_BYTES}, {@code STOWAGE_DEFAULT_QUOTA_FILES}) are checked before a byte
 *       is read when the length is declared, and enforced while streaming when it is not: the upload is
 *       cut off at the first byte over the limit with {@code TOO_LARGE} or {@code QUOTA_EXCEEDED}
 *       ({@link io.stowage.QuotaExceededException}), nothing stays behind and usage is unchanged. Quotas
 *       hold under concurrency: a save reserves its bytes and file in the catalog before it streams.
 *   <li>The stored media type is detected from the first bytes; the client's type is a hint (see
 *       {@code ContentTypes}). A type outside {@code STOWAGE_ALLOWED_TYPES} is {@code UNSUPPORTED_MEDIA_TYPE}.
 * </ul>
 */
package io.stowage.service;
