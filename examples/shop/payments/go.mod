module example.com/shop/payments

go 1.22

require (
	github.com/prometheus/client_golang v1.20.5
	google.golang.org/grpc v1.68.0
)
