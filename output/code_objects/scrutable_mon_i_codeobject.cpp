#include "code_objects/scrutable_mon_i_codeobject.h"
#include "objects.h"
#include "brianlib/common_math.h"
#include "brianlib/stdint_compat.h"
#include<cmath>
#include<ctime>
#include<iostream>
#include<fstream>
#include<climits>

////// SUPPORT CODE ///////
namespace {
        
    template < typename T1, typename T2 > struct _higher_type;
    template < > struct _higher_type<int32_t,int32_t> { typedef int32_t type; };
    template < > struct _higher_type<int32_t,int64_t> { typedef int64_t type; };
    template < > struct _higher_type<int32_t,float> { typedef float type; };
    template < > struct _higher_type<int32_t,double> { typedef double type; };
    template < > struct _higher_type<int32_t,long double> { typedef long double type; };
    template < > struct _higher_type<int64_t,int32_t> { typedef int64_t type; };
    template < > struct _higher_type<int64_t,int64_t> { typedef int64_t type; };
    template < > struct _higher_type<int64_t,float> { typedef float type; };
    template < > struct _higher_type<int64_t,double> { typedef double type; };
    template < > struct _higher_type<int64_t,long double> { typedef long double type; };
    template < > struct _higher_type<float,int32_t> { typedef float type; };
    template < > struct _higher_type<float,int64_t> { typedef float type; };
    template < > struct _higher_type<float,float> { typedef float type; };
    template < > struct _higher_type<float,double> { typedef double type; };
    template < > struct _higher_type<float,long double> { typedef long double type; };
    template < > struct _higher_type<double,int32_t> { typedef double type; };
    template < > struct _higher_type<double,int64_t> { typedef double type; };
    template < > struct _higher_type<double,float> { typedef double type; };
    template < > struct _higher_type<double,double> { typedef double type; };
    template < > struct _higher_type<double,long double> { typedef long double type; };
    template < > struct _higher_type<long double,int32_t> { typedef long double type; };
    template < > struct _higher_type<long double,int64_t> { typedef long double type; };
    template < > struct _higher_type<long double,float> { typedef long double type; };
    template < > struct _higher_type<long double,double> { typedef long double type; };
    template < > struct _higher_type<long double,long double> { typedef long double type; };
    // General template, used for floating point types
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_mod(T1 x, T2 y)
    {
        return x-y*floor(1.0*x/y);
    }
    // Specific implementations for integer types
    // (from Cython, see LICENSE file)
    template <>
    inline int32_t _brian_mod(int32_t x, int32_t y)
    {
        int32_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int32_t x, int64_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int64_t x, int32_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int64_t x, int64_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    // General implementation, used for floating point types
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_floordiv(T1 x, T2 y)
    {{
        return floor(1.0*x/y);
    }}
    // Specific implementations for integer types
    // (from Cython, see LICENSE file)
    template <>
    inline int32_t _brian_floordiv<int32_t, int32_t>(int32_t a, int32_t b) {
        int32_t q = a / b;
        int32_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int32_t, int64_t>(int32_t a, int64_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int64_t, int>(int64_t a, int32_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int64_t, int64_t>(int64_t a, int64_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    #ifdef _MSC_VER
    #define _brian_pow(x, y) (pow((double)(x), (y)))
    #else
    #define _brian_pow(x, y) (pow((x), (y)))
    #endif

}

////// HASH DEFINES ///////



void _run_scrutable_mon_i_codeobject()
{
    using namespace brian;


    ///// CONSTANTS ///////////
    const size_t _numN = 1;
const size_t _num_clock_t = 1;
const size_t _num_source_i = 100;
const int64_t _source_start = 0;
const int64_t _source_stop = 100;
const size_t _num_source_t = 1;
const size_t _num_spikespace = 101;
const size_t _numcount = 100;
int32_t* const _array_scrutable_mon_i_i = _dynamic_array_scrutable_mon_i_i.empty()? 0 : &_dynamic_array_scrutable_mon_i_i[0];
const size_t _numi = _dynamic_array_scrutable_mon_i_i.size();
double* const _array_scrutable_mon_i_t = _dynamic_array_scrutable_mon_i_t.empty()? 0 : &_dynamic_array_scrutable_mon_i_t[0];
const size_t _numt = _dynamic_array_scrutable_mon_i_t.size();
const size_t _num_source_idx = 100;
    ///// POINTERS ////////////
        
    int32_t*   _ptr_array_scrutable_mon_i_N = _array_scrutable_mon_i_N;
    double*   _ptr_array_scrutable_inh_clock_t = _array_scrutable_inh_clock_t;
    int32_t* __restrict  _ptr_array_scrutable_inh_i = _array_scrutable_inh_i;
    int32_t* __restrict  _ptr_array_scrutable_inh__spikespace = _array_scrutable_inh__spikespace;
    int32_t* __restrict  _ptr_array_scrutable_mon_i_count = _array_scrutable_mon_i_count;
    int32_t* __restrict  _ptr_array_scrutable_mon_i_i = _array_scrutable_mon_i_i;
    double* __restrict  _ptr_array_scrutable_mon_i_t = _array_scrutable_mon_i_t;
    int32_t* __restrict  _ptr_array_scrutable_mon_i__source_idx = _array_scrutable_mon_i__source_idx;


    //// MAIN CODE ////////////

    int32_t _num_events = _ptr_array_scrutable_inh__spikespace[_num_spikespace-1];

    if (_num_events > 0)
    {
        size_t _start_idx = _num_events;
        size_t _end_idx = _num_events;
        for(size_t _j=0; _j<_num_events; _j++)
        {
            const int _idx = _ptr_array_scrutable_inh__spikespace[_j];
            if (_idx >= _source_start) {
                _start_idx = _j;
                break;
            }
        }
        for(size_t _j=_num_events-1; _j>=_start_idx; _j--)
        {
            const int _idx = _ptr_array_scrutable_inh__spikespace[_j];
            if (_idx < _source_stop) {
                break;
            }
            _end_idx = _j;
        }
        _num_events = _end_idx - _start_idx;
        if (_num_events > 0) {
            const size_t _vectorisation_idx = 1;
                        
            const double _source_t = _ptr_array_scrutable_inh_clock_t[0];

            for(size_t _j=_start_idx; _j<_end_idx; _j++)
            {
                const size_t _idx = _ptr_array_scrutable_inh__spikespace[_j];
                const size_t _vectorisation_idx = _idx;
                                
                const int32_t _source_i = _ptr_array_scrutable_inh_i[_idx];
                const int32_t _to_record_i = _source_i;
                const double _to_record_t = _source_t;

                _dynamic_array_scrutable_mon_i_i.push_back(_to_record_i);
                _dynamic_array_scrutable_mon_i_t.push_back(_to_record_t);
                _ptr_array_scrutable_mon_i_count[_idx-_source_start]++;
            }
            _ptr_array_scrutable_mon_i_N[0] += _num_events;
        }
    }


}

void _debugmsg_scrutable_mon_i_codeobject()
{
    using namespace brian;
    const size_t _numN = 1;
const size_t _num_clock_t = 1;
const size_t _num_source_i = 100;
const int64_t _source_start = 0;
const int64_t _source_stop = 100;
const size_t _num_source_t = 1;
const size_t _num_spikespace = 101;
const size_t _numcount = 100;
int32_t* const _array_scrutable_mon_i_i = _dynamic_array_scrutable_mon_i_i.empty()? 0 : &_dynamic_array_scrutable_mon_i_i[0];
const size_t _numi = _dynamic_array_scrutable_mon_i_i.size();
double* const _array_scrutable_mon_i_t = _dynamic_array_scrutable_mon_i_t.empty()? 0 : &_dynamic_array_scrutable_mon_i_t[0];
const size_t _numt = _dynamic_array_scrutable_mon_i_t.size();
const size_t _num_source_idx = 100;
        
    int32_t*   _ptr_array_scrutable_mon_i_N = _array_scrutable_mon_i_N;
    double*   _ptr_array_scrutable_inh_clock_t = _array_scrutable_inh_clock_t;
    int32_t* __restrict  _ptr_array_scrutable_inh_i = _array_scrutable_inh_i;
    int32_t* __restrict  _ptr_array_scrutable_inh__spikespace = _array_scrutable_inh__spikespace;
    int32_t* __restrict  _ptr_array_scrutable_mon_i_count = _array_scrutable_mon_i_count;
    int32_t* __restrict  _ptr_array_scrutable_mon_i_i = _array_scrutable_mon_i_i;
    double* __restrict  _ptr_array_scrutable_mon_i_t = _array_scrutable_mon_i_t;
    int32_t* __restrict  _ptr_array_scrutable_mon_i__source_idx = _array_scrutable_mon_i__source_idx;

    std::cout << "Number of spikes: " << _ptr_array_scrutable_mon_i_N[0] << endl;
}

