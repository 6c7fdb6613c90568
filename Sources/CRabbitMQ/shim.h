#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

/* amqp_login is variadic, which Swift cannot call. */
static inline amqp_rpc_reply_t energy_amqp_login(amqp_connection_state_t state, const char *vhost,
                                                 const char *user, const char *password, int heartbeat) {
    return amqp_login(state, vhost, 0, 131072, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/* The method ids are macros with casts, which Swift does not import. */
static inline amqp_method_number_t energy_amqp_basic_ack_method(void) { return AMQP_BASIC_ACK_METHOD; }
static inline amqp_method_number_t energy_amqp_basic_nack_method(void) { return AMQP_BASIC_NACK_METHOD; }
static inline amqp_method_number_t energy_amqp_channel_close_method(void) { return AMQP_CHANNEL_CLOSE_METHOD; }
static inline amqp_method_number_t energy_amqp_connection_close_method(void) { return AMQP_CONNECTION_CLOSE_METHOD; }
