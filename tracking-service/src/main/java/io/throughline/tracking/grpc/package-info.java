/** gRPC endpoints this service offers other services (contracts module, v1). */
package io.throughline.tracking.grpc;
